// Where the Hearth under test serves. The Maven module `e2e` boots one and passes its origin in HEARTH_URL;
// to run these files by hand against a running Hearth: HEARTH_URL=http://127.0.0.1:4100 node --test tests/
export const origin = (() => {
    const url = process.env.HEARTH_URL;
    if (!url) {
        throw new Error('HEARTH_URL is not set: start Hearth and set HEARTH_URL to its origin (e.g. http://127.0.0.1:4100)');
    }
    return url.replace(/\/+$/, '');
})();
