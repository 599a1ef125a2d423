package dev.hearth.kernel;

/** The kernel's lifecycle, in order. */
public enum Phase {
    /** Not booted yet: modules may still be added. */
    NEW("new"),
    /** Modules register their services. */
    INSTALL("install"),
    CONSTRUCT("construct"),
    INIT("init"),
    CONSOLIDATION("consolidation"),
    ACTIVATION("activation"),
    /** Booted: serving. */
    READY("ready"),
    SHUTTING_DOWN("shutdown"),
    STOPPED("stopped");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
