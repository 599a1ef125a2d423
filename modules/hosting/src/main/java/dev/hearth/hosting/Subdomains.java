package dev.hearth.hosting;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import dev.hearth.core.Database;
import dev.hearth.core.UserEvents;
import dev.hearth.core.spi.Migrations;
import dev.hearth.core.spi.SiteDirectory;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.fs.spi.HostedSites;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.PublicUrls;
import dev.hearth.web.WebServer;

/**
 * The {@code puter-subdomains} service: the {@code subdomains} table (module migrations {@code db/hosting}), the
 * {@code es:subdomain} driver of {@code puter-subdomains} ({@link SubdomainDriver}), and what the modules below need to
 * know about sites: core's {@link SiteDirectory} (site tokens of protected sites) and the filesystem's
 * {@link HostedSites} ({@code /readdir-subdomains}, {@code /stat}'s {@code subdomains}). A user's sites are deleted
 * with the user.
 *
 * <p>No cache: every lookup reads the table (one indexed row), so a created, changed or deleted site is served as it
 * is on the next request, on every instance.
 */
final class Subdomains implements Service, Migrations, DriverProvider, SiteDirectory, HostedSites {

    private static final String COLUMNS = "id, uuid, subdomain, user_id, root_dir_uid, associated_app_uid, "
            + "app_owner_uid, protected, domain, created";

    private final ServiceContext context;
    private final Clock clock;
    private volatile Jdbi jdbi;

    Subdomains(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void init() {
        jdbi = context.services().get(Database.class).jdbi();
        context.events().on(UserEvents.DELETING, (key, data, meta) ->
                deleteAllOf(((UserEvents.Deleted) data).userId()));
    }

    @Override
    public String migrationsName() {
        return "hosting";
    }

    @Override
    public String migrationsLocation() {
        return "db/hosting";
    }

    @Override
    public List<Driver> drivers() {
        return List.of(new SubdomainDriver(context, this));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The table

    Optional<Subdomain> byName(String subdomain) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM subdomains WHERE subdomain = :s")
                .bind("s", subdomain).map(Subdomains::row).findOne());
    }

    Optional<Subdomain> byUid(String uid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM subdomains WHERE uuid = :u")
                .bind("u", uid).map(Subdomains::row).findOne());
    }

    /** A user's sites in creation order, optionally only those an app created. */
    List<Subdomain> ofOwner(long userId, Optional<String> appOwner, long offset, long limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM subdomains WHERE user_id = :u"
                        + (appOwner.isPresent() ? " AND app_owner_uid = :a" : "") + " ORDER BY id LIMIT :l OFFSET :o")
                .bind("u", userId).bind("a", appOwner.orElse(null)).bind("l", limit).bind("o", offset)
                .map(Subdomains::row).list());
    }

    long countOf(long userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM subdomains WHERE user_id = :u")
                .bind("u", userId).mapTo(Long.class).one());
    }

    /** Inserts a site; {@code 409 already_in_use} when the name (or the domain) was taken meanwhile. */
    Subdomain insert(String subdomain, long userId, Optional<String> rootDirUid, Optional<String> associatedApp,
            Optional<String> appOwner, boolean isProtected, Optional<String> domain) {
        String uid = "sd-" + UUID.randomUUID();
        long now = clock.instant().getEpochSecond();
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO subdomains (uuid, subdomain, user_id, root_dir_uid, "
                            + "associated_app_uid, app_owner_uid, protected, domain, created) "
                            + "VALUES (:uid, :s, :u, :r, :a, :ao, :p, :d, :c)")
                    .bind("uid", uid).bind("s", subdomain).bind("u", userId).bind("r", rootDirUid.orElse(null))
                    .bind("a", associatedApp.orElse(null)).bind("ao", appOwner.orElse(null))
                    .bind("p", isProtected ? 1 : 0)
                    .bind("d", domain.orElse(null)).bind("c", now).execute());
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) {
                throw byName(subdomain).isPresent() ? alreadyInUse("subdomain", subdomain)
                        : alreadyInUse("domain", domain.orElse(""));
            }
            throw e;
        }
        return byUid(uid).orElseThrow();
    }

    /** Writes the mutable columns of {@code s}. */
    void update(Subdomain s) {
        try {
            jdbi.useHandle(h -> h.createUpdate("UPDATE subdomains SET root_dir_uid = :r, associated_app_uid = :a, "
                            + "protected = :p, domain = :d WHERE uuid = :uid")
                    .bind("r", s.rootDirUid().orElse(null)).bind("a", s.associatedAppUid().orElse(null))
                    .bind("p", s.isProtected() ? 1 : 0).bind("d", s.domain().orElse(null)).bind("uid", s.uid())
                    .execute());
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) {
                throw alreadyInUse("domain", s.domain().orElse(""));
            }
            throw e;
        }
    }

    boolean delete(String uid) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM subdomains WHERE uuid = :u").bind("u", uid)
                .execute()) > 0;
    }

    private void deleteAllOf(long userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM subdomains WHERE user_id = :u").bind("u", userId).execute());
    }

    static ApiError alreadyInUse(String what, String value) {
        return ApiError.of(409, "already_in_use", "The " + what + " `" + value + "` is already in use.")
                .with("what", what).with("value", value);
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && ("23505".equals(s.getSQLState())
                    || s.getMessage() != null && s.getMessage().contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }

    private static Subdomain row(ResultSet r, StatementContext ctx) throws SQLException {
        return new Subdomain(r.getLong("id"), r.getString("uuid"), r.getString("subdomain"), r.getLong("user_id"),
                Optional.ofNullable(r.getString("root_dir_uid")),
                Optional.ofNullable(r.getString("associated_app_uid")),
                Optional.ofNullable(r.getString("app_owner_uid")), r.getInt("protected") != 0,
                Optional.ofNullable(r.getString("domain")), r.getLong("created"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // For the modules below

    /** The public address of a site: {@link PublicUrls#siteUrl}. */
    String address(String subdomain) {
        return context.services().find(WebServer.class).map(w -> w.urls().siteUrl(subdomain))
                .orElse("http://" + subdomain + ".site.localhost");
    }

    @Override
    public Optional<SiteDirectory.Site> siteByUid(String siteUid) {
        return byUid(siteUid).map(s -> new SiteDirectory.Site(s.uid(), s.subdomain(), s.rootDirUid(),
                Optional.of(s.userId())));
    }

    @Override
    public Map<String, List<HostedSites.Website>> sitesOf(long ownerUserId, Collection<String> directoryUids) {
        if (directoryUids.isEmpty()) {
            return Map.of();
        }
        List<Subdomain> rows = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM subdomains"
                        + " WHERE user_id = :u AND root_dir_uid IN (<dirs>) ORDER BY id")
                .bind("u", ownerUserId).bindList("dirs", new ArrayList<>(directoryUids)).map(Subdomains::row).list());
        Map<String, List<HostedSites.Website>> out = new LinkedHashMap<>();
        for (Subdomain s : rows) {
            out.computeIfAbsent(s.rootDirUid().orElseThrow(), k -> new ArrayList<>())
                    .add(new HostedSites.Website(s.uid(), s.subdomain(), address(s.subdomain())));
        }
        return out;
    }
}
