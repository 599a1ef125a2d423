package dev.hearth.core;

import dev.hearth.kernel.ApiError;

/**
 * The errors of accounts, tokens and permissions that the kernel's vocabulary lacks, with the codes, statuses and
 * messages of the spec's table (0.2) word for word.
 */
public final class AccountErrors {

    private AccountErrors() {}

    public static ApiError userNotFound() {
        return ApiError.of(401, "user_not_found", "User not found.");
    }

    public static ApiError tokenUnsupported() {
        return ApiError.of(401, "token_unsupported", "This authentication token is not supported here.");
    }

    public static ApiError userTokensOnly() {
        return ApiError.of(403, "user_tokens_only", "This endpoint must be requested with a user session");
    }

    public static ApiError sessionRequired() {
        return ApiError.of(403, "session_required",
                "This endpoint requires a full session (e.g. change password cannot be done with a GUI token).");
    }

    public static ApiError passwordRequired() {
        return ApiError.of(400, "password_required", "Password is required.");
    }

    public static ApiError passwordMismatch() {
        return ApiError.of(403, "password_mismatch", "Password does not match.");
    }

    public static ApiError userDoesNotExist(String username) {
        return ApiError.of(422, "user_does_not_exist", "The user `" + username + "` does not exist.")
                .with("username", username);
    }

    public static ApiError entityNotFound(String identifier) {
        return ApiError.of(422, "entity_not_found", "Entity not found: `" + identifier + "`")
                .with("identifier", identifier);
    }

    public static ApiError usernameAlreadyInUse(String username) {
        return ApiError.of(409, "username_already_in_use", "Username `" + username + "` is already in use.")
                .with("username", username);
    }

    public static ApiError emailAlreadyInUse(String email) {
        return ApiError.of(409, "email_already_in_use", "Email `" + email + "` is already in use.")
                .with("email", email);
    }

    public static ApiError fieldTooLong(String key, int maxLength) {
        return ApiError.of(400, "field_too_long", "Field `" + key + "` is too long. Max length is " + maxLength + ".")
                .with("key", key).with("max_length", maxLength);
    }

    public static ApiError twoFactorAlreadyEnabled() {
        return ApiError.of(409, "2fa_already_enabled", "2FA is already enabled.");
    }

    public static ApiError twoFactorNotConfigured() {
        return ApiError.of(409, "2fa_not_configured", "2FA is not configured.");
    }

    public static ApiError emailMustBeConfirmed(String action) {
        return ApiError.of(422, "email_must_be_confirmed", "Email must be confirmed to " + action
                + ". Go to https://puter.com to confirm your email address.").with("action", action);
    }

    public static ApiError subjectDoesNotExist() {
        return ApiError.of(404, "subject_does_not_exist", "File or directory not found.");
    }

    public static ApiError temporaryAccount() {
        return ApiError.of(403, "temporary_account", "This action is not available for temporary accounts.");
    }
}
