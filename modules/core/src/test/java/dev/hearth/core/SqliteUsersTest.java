package dev.hearth.core;

class SqliteUsersTest extends UsersContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }
}
