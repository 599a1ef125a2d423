package dev.hearth.drivers;

class SqliteDriversHttpTest extends DriversHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }
}
