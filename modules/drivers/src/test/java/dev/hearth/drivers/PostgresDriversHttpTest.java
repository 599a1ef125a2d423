package dev.hearth.drivers;

class PostgresDriversHttpTest extends DriversHttpContract {
    @Override
    protected boolean postgres() {
        return true;
    }
}
