package dev.hearth.hosting;

class SqliteSubdomainHostingHttpTest extends HostingHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected boolean subdomainMode() {
        return true;
    }
}
