package dev.hearth.kv;

class PostgresKvHttpTest extends KvHttpContract {
    @Override
    protected boolean postgres() {
        return true;
    }
}
