package dev.hearth.core;

class SqlitePermissionsTest extends PermissionsContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }
}
