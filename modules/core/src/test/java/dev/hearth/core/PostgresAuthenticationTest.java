package dev.hearth.core;

class PostgresAuthenticationTest extends AuthenticationContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.postgres();
    }
}
