package dev.hearth.apps;

class SqliteAppsHttpTest extends AppsHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }
}
