package dev.hearth.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The invalidation story of the accounts caches (sessions, permission results) across instances that share one
 * database. Whoever revokes something (a session, a grant, a group membership, an access token) bumps a counter in the
 * {@code cache_epoch} table; each instance polls it every {@link #POLL_INTERVAL}, and every cached value is stamped
 * with the epoch it was loaded under and counts as a miss once the epoch has moved on. So a revocation is effective at
 * once on the instance that made it, and within one poll interval on every other one.
 *
 * <p>Why this and not a short time-to-live: a TTL of a few seconds costs one query per cached entry per interval
 * (thousands of sessions, each re-read every 2 s), where the epoch costs one tiny query per instance per interval,
 * whatever the traffic; and entries can live for minutes between revocations. Revocations are rare next to checks,
 * so dropping everything on each one is cheap. Stamping entries (rather than clearing the caches) also covers a load
 * that raced with a revocation: it was stamped with the old epoch and is never served. When Redis comes, a pub/sub
 * message can shorten the interval; the table stays as the source of truth.
 */
final class CacheEpoch implements Service {

    private static final Logger log = LoggerFactory.getLogger(CacheEpoch.class);

    static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final String NAME = "auth";

    private final ServiceContext context;
    private final AtomicLong epoch = new AtomicLong();
    private volatile Database database;
    private volatile Thread poller;

    CacheEpoch(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
    }

    @Override
    public void consolidate() {
        poll();
    }

    @Override
    public void ready() {
        poller = Thread.ofVirtual().name("auth-cache-epoch").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(POLL_INTERVAL);
                    poll();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("cannot poll the cache epoch: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void shutdown() {
        Thread t = poller;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The epoch this instance knows; cached values stamped with another one are stale. */
    long current() {
        return epoch.get();
    }

    /** Reads the shared epoch now (the poller does it every interval). */
    void poll() {
        long shared = database.jdbi().withHandle(h -> h.createQuery("SELECT epoch FROM cache_epoch WHERE name = :n")
                .bind("n", NAME).mapTo(Long.class).one());
        epoch.accumulateAndGet(shared, Math::max);
    }

    /** Invalidates every stamped cache entry here at once, and on the other instances at their next poll. */
    void bump() {
        // The value read back is above every value any instance read before the update, so every entry stamped
        // until now is stale here at once. (The local epoch never runs ahead of the shared one: otherwise another
        // instance's next bump could land on the value we already have, and go unnoticed.)
        long shared = database.jdbi().inTransaction(h -> {
            h.createUpdate("UPDATE cache_epoch SET epoch = epoch + 1 WHERE name = :n").bind("n", NAME).execute();
            return h.createQuery("SELECT epoch FROM cache_epoch WHERE name = :n").bind("n", NAME).mapTo(Long.class).one();
        });
        epoch.accumulateAndGet(shared, Math::max);
    }
}
