package dev.hearth.core;

import java.util.Optional;

import dev.hearth.core.spi.AppDirectory;
import dev.hearth.core.spi.SiteDirectory;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code authenticator} service: a raw token, as the web layer extracted it (body {@code auth_token},
 * {@code Authorization: Bearer}, cookie, {@code ?auth_token}, socket handshake; spec 2.4), to an {@link Actor}.
 *
 * <ul>
 *   <li>no token ({@code null}, empty, {@code "null"}, {@code "undefined"}, {@code Basic ...}) →
 *       {@code 401 token_missing};</li>
 *   <li>a token that does not verify, of an unknown or wrong kind, or naming a revoked session →
 *       {@code 401 token_auth_failed};</li>
 *   <li>a token whose user is gone → {@code 401 user_not_found};</li>
 *   <li>a site token when no hosting module is installed → {@code 401 token_unsupported};</li>
 *   <li>a suspended user (for access tokens, the authorizer's) → {@code 403 forbidden}.</li>
 * </ul>
 */
public final class Authenticator implements Service {

    /** A successful authentication, with the new login of an upgraded legacy token ({@code /whoami} only). */
    public record Authenticated(Actor actor, TokenType type, Optional<Sessions.Login> upgradedLegacy) {}

    private final ServiceContext context;
    private volatile Tokens tokens;
    private volatile Sessions sessions;
    private volatile Users users;

    Authenticator(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        tokens = context.services().get(Tokens.class);
        sessions = context.services().get(Sessions.class);
        users = context.services().get(Users.class);
    }

    /** Whether a raw token counts as absent. */
    public static boolean isAbsent(String raw) {
        return raw == null || raw.isBlank() || raw.equals("null") || raw.equals("undefined") || raw.startsWith("Basic ");
    }

    /** Authenticates a token; legacy tokens are refused. */
    public Actor authenticate(String raw) {
        return authenticate(raw, Optional.empty()).actor();
    }

    /** Authenticates a token if there is one: empty for an absent token, an error for a bad one. */
    public Optional<Actor> authenticateOptional(String raw) {
        return isAbsent(raw) ? Optional.empty() : Optional.of(authenticate(raw));
    }

    /**
     * Authenticates a token. With {@code legacyUpgrade} (only {@code /whoami}, when {@code legacy_token_migrate} is on)
     * a legacy token (no {@code type}) is accepted: its user gets a new login session, returned with the actor.
     */
    public Authenticated authenticate(String raw, Optional<SessionOrigin> legacyUpgrade) {
        if (isAbsent(raw)) {
            throw ApiError.tokenMissing();
        }
        TokenClaims claims = tokens.verify(raw.strip());
        Authenticated result = switch (claims) {
            case TokenClaims.Session s -> {
                Session session = sessions.find(s.sessionUuid()).orElseThrow(ApiError::tokenAuthFailed);
                User user = users.byUuidRecent(s.userUuid()).orElseThrow(AccountErrors::userNotFound);
                if (session.userId() != user.id()) {
                    throw ApiError.tokenAuthFailed();
                }
                sessions.touch(session.uuid());
                yield new Authenticated(new UserActor(user, Optional.of(session.uuid()), s.type() == TokenType.SESSION),
                        s.type(), Optional.empty());
            }
            case TokenClaims.AppUnderUser a -> {
                User user = users.byUuidRecent(a.userUuid()).orElseThrow(AccountErrors::userNotFound);
                if (a.sessionUuid().isPresent()) {
                    Session session = sessions.find(a.sessionUuid().get()).orElseThrow(ApiError::tokenAuthFailed);
                    if (session.userId() != user.id()) {
                        throw ApiError.tokenAuthFailed();
                    }
                    sessions.touch(session.uuid());
                }
                requireApp(a.appUid());
                yield new Authenticated(new AppUnderUserActor(user, a.appUid(), a.sessionUuid()), TokenType.APP_UNDER_USER,
                        Optional.empty());
            }
            case TokenClaims.AccessToken t -> {
                User user = users.byUuidRecent(t.userUuid()).orElseThrow(AccountErrors::userNotFound);
                Actor authorizer = t.appUid().<Actor>map(app -> {
                    requireApp(app);
                    return new AppUnderUserActor(user, app, Optional.empty());
                }).orElseGet(() -> UserActor.of(user));
                Optional<Actor> authorized = Context.current().flatMap(Context::actor)
                        .filter(Actor.class::isInstance).map(Actor.class::cast);
                yield new Authenticated(new AccessTokenActor(t.tokenUid(), authorizer, authorized), TokenType.ACCESS_TOKEN,
                        Optional.empty());
            }
            case TokenClaims.Site s -> {
                SiteDirectory sites = context.services().find(SiteDirectory.class)
                        .orElseThrow(AccountErrors::tokenUnsupported);
                SiteDirectory.Site site = sites.siteByUid(s.siteUid()).orElseThrow(ApiError::tokenAuthFailed);
                yield new Authenticated(new SiteActor(site.uid(), site.subdomain(), site.rootDirUid(), s.issuedAt()),
                        TokenType.ACTOR_SITE, Optional.empty());
            }
            case TokenClaims.Hosted h -> throw ApiError.tokenAuthFailed();
            case TokenClaims.Legacy l -> {
                if (legacyUpgrade.isEmpty()) {
                    throw ApiError.tokenAuthFailed();
                }
                User user = users.byUuidRecent(l.userUuid()).orElseThrow(AccountErrors::userNotFound);
                if (user.suspended()) {
                    throw ApiError.forbidden();
                }
                Sessions.Login login = sessions.login(user, legacyUpgrade.get());
                yield new Authenticated(new UserActor(user, Optional.of(login.session().uuid()), false), TokenType.GUI,
                        Optional.of(login));
            }
        };
        if (result.actor().actingUser().map(User::suspended).orElse(false)) {
            throw ApiError.forbidden();
        }
        return result;
    }

    private void requireApp(String appUid) {
        Optional<AppDirectory> apps = context.services().find(AppDirectory.class);
        if (apps.isPresent() && apps.get().appByUid(appUid).isEmpty()) {
            throw ApiError.tokenAuthFailed();
        }
    }
}
