package dev.hearth.core;

import java.util.Optional;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.web.Handler;
import dev.hearth.web.Middleware;
import dev.hearth.web.Request;
import tools.jackson.databind.JsonNode;

/**
 * Request authentication (spec 2.4): the {@code AUTH}-stage middleware, and the guards routes wrap their handlers in.
 *
 * <p>The middleware runs for every routed request. It takes the first token present, in the order body
 * {@code auth_token} → {@code Authorization: Bearer} (not {@code Basic ...}, not a bare {@code Bearer}) →
 * {@code x-api-key} → the session cookie → {@code ?auth_token} (on {@code GET} and {@code HEAD} only); {@code null},
 * {@code "null"}, {@code "undefined"} and empty values count as absent. A token that authenticates binds its actor
 * into the request {@link Context}; a bad one is remembered, and a guard turns it into the error (so that a stale
 * token does not break routes that need none, such as {@code /login}).
 *
 * <p>CSRF: a cookie is only honoured on a state-changing request ({@code POST}, {@code PUT}, ...) that comes from one
 * of Hearth's own origins ({@link Request#fromOwnOrigin()}); otherwise the request fails with {@code 403 forbidden}. On
 * safe requests a cookie is ignored when the request names a foreign {@code Origin} (in single-origin mode the API
 * reflects any origin with credentials, so a foreign page could otherwise read {@code /get-gui-token}).
 *
 * <p>Guards: {@link #required} (any actor, else {@code 401}), {@link #optional} (no token is fine, a bad one is not),
 * {@link #userOnly} (a user actor, else {@code 403 forbidden}). Handlers read the actor with {@link #actor()}.
 */
public final class HttpAuth {

    /** Where a token came from. */
    public enum Source { BODY, AUTHORIZATION, API_KEY, COOKIE, QUERY }

    /** What the middleware found: the raw token and its source, and the failure if it did not authenticate. */
    public record Attempt(Optional<String> token, Optional<Source> source, Optional<ApiError> failure) {
        static final Attempt NONE = new Attempt(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static final ScopedValue<Attempt> ATTEMPT = ScopedValue.newInstance();

    private HttpAuth() {}

    /** The middleware, for {@code router.use(Stage.AUTH, ...)}. */
    static Middleware middleware(Authenticator authenticator, String cookieName) {
        return (req, res, chain) -> {
            if (Context.current().flatMap(Context::actor).isPresent()) {
                chain.proceed();
                return;
            }
            Attempt attempt = extract(req, cookieName);
            Actor actor = null;
            if (attempt.token().isPresent() && attempt.failure().isEmpty()) {
                try {
                    actor = authenticator.authenticate(attempt.token().get());
                } catch (ApiError e) {
                    attempt = new Attempt(attempt.token(), attempt.source(), Optional.of(e));
                }
            }
            Attempt bound = attempt;
            Context next = actor == null ? req.context() : req.context().withActor(actor);
            ScopedValue.where(ATTEMPT, bound).call(() -> {
                chain.proceed(next);
                return null;
            });
        };
    }

    static Attempt extract(Request req, String cookieName) {
        String method = req.method();
        boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        if (!safe && req.isJson()) {
            JsonNode node;
            try {
                node = req.jsonTree().get("auth_token");
            } catch (ApiError e) {
                node = null; // a malformed or oversized body: the handler reports it if it reads the body
            }
            if (node != null && !node.isNull()) {
                if (!node.isString()) {
                    return new Attempt(Optional.of(node.toString()), Optional.of(Source.BODY),
                            Optional.of(ApiError.tokenAuthFailed()));
                }
                if (!Authenticator.isAbsent(node.asString())) {
                    return found(node.asString(), Source.BODY);
                }
            }
        }
        Optional<String> authorization = req.header("Authorization").map(String::strip);
        if (authorization.isPresent() && !authorization.get().startsWith("Basic ")
                && !authorization.get().equals("Bearer")) {
            String value = authorization.get();
            int bearer = value.indexOf("Bearer ");
            String token = (bearer >= 0 ? value.substring(0, bearer) + value.substring(bearer + 7) : value).strip();
            if (!Authenticator.isAbsent(token)) {
                return found(token, Source.AUTHORIZATION);
            }
        }
        Optional<String> apiKey = req.header("x-api-key").map(String::strip).filter(k -> !Authenticator.isAbsent(k));
        if (apiKey.isPresent()) {
            return found(apiKey.get(), Source.API_KEY);
        }
        Optional<String> cookie = req.cookie(cookieName).filter(c -> !Authenticator.isAbsent(c));
        if (cookie.isPresent()) {
            if (!safe && !req.fromOwnOrigin()) {
                return new Attempt(Optional.empty(), Optional.of(Source.COOKIE), Optional.of(ApiError.forbidden()));
            }
            if (!safe || req.origin().isEmpty() || req.fromOwnOrigin()) {
                return found(cookie.get(), Source.COOKIE);
            }
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            Optional<String> query = req.query("auth_token").filter(q -> !Authenticator.isAbsent(q));
            if (query.isPresent()) {
                return found(query.get(), Source.QUERY);
            }
        }
        return Attempt.NONE;
    }

    private static Attempt found(String token, Source source) {
        return new Attempt(Optional.of(token), Optional.of(source), Optional.empty());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What handlers see

    /** What the middleware found for this request (nothing outside a request). */
    public static Attempt attempt() {
        return ATTEMPT.isBound() ? ATTEMPT.get() : Attempt.NONE;
    }

    /** The authenticated actor; {@code 401 token_missing} without a token, the token's error for a bad one. */
    public static Actor actor() {
        return optionalActor().orElseThrow(ApiError::tokenMissing);
    }

    /** The authenticated actor, if a token was given; a bad token is still an error. */
    public static Optional<Actor> optionalActor() {
        Optional<Actor> actor = Context.current().flatMap(Context::actor).filter(Actor.class::isInstance)
                .map(Actor.class::cast);
        if (actor.isPresent()) {
            return actor;
        }
        Optional<ApiError> failure = attempt().failure();
        if (failure.isPresent()) {
            throw failure.get();
        }
        return Optional.empty();
    }

    /** The authenticated user actor; {@code 403 forbidden} for any other actor. */
    public static UserActor userActor() {
        if (actor() instanceof UserActor u) {
            return u;
        }
        throw ApiError.forbidden();
    }

    /** A route that needs an actor (Puter's {@code auth2}). */
    public static Handler required(Handler handler) {
        return (req, res) -> {
            actor();
            handler.handle(req, res);
        };
    }

    /** A route that takes an actor if a token is given (Puter's optional configurable auth). */
    public static Handler optional(Handler handler) {
        return (req, res) -> {
            optionalActor();
            handler.handle(req, res);
        };
    }

    /** A route for user actors only (Puter's legacy {@code auth}): other actors get {@code 403 forbidden}. */
    public static Handler userOnly(Handler handler) {
        return (req, res) -> {
            userActor();
            handler.handle(req, res);
        };
    }

}
