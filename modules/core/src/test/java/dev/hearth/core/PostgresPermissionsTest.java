package dev.hearth.core;

class PostgresPermissionsTest extends PermissionsContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.postgres();
    }
}
