package dev.hearth.core;

class PostgresUsersTest extends UsersContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.postgres();
    }
}
