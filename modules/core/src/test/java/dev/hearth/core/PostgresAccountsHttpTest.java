package dev.hearth.core;

class PostgresAccountsHttpTest extends AccountsHttpContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.postgres();
    }
}
