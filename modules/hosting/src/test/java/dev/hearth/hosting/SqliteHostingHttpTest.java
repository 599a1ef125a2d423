package dev.hearth.hosting;

class SqliteHostingHttpTest extends HostingHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected boolean subdomainMode() {
        return false;
    }
}
