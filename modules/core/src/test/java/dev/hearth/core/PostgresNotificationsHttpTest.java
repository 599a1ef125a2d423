package dev.hearth.core;

class PostgresNotificationsHttpTest extends NotificationsHttpContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.postgres();
    }
}
