package dev.hearth.hosting;

class PostgresHostingHttpTest extends HostingHttpContract {
    @Override
    protected boolean postgres() {
        return true;
    }

    @Override
    protected boolean subdomainMode() {
        return false;
    }
}
