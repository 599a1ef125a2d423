package dev.hearth.core;

class SqliteNotificationsHttpTest extends NotificationsHttpContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }
}
