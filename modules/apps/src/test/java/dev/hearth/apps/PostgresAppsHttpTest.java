package dev.hearth.apps;

class PostgresAppsHttpTest extends AppsHttpContract {
    @Override
    protected boolean postgres() {
        return true;
    }
}
