package dev.hearth.hosting;

class PostgresSubdomainHostingHttpTest extends HostingHttpContract {
    @Override
    protected boolean postgres() {
        return true;
    }

    @Override
    protected boolean subdomainMode() {
        return true;
    }
}
