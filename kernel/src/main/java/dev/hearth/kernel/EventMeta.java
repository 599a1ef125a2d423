package dev.hearth.kernel;

/**
 * Facts about an event's delivery.
 *
 * @param fromOutside true for an event received from another instance: it must not be forwarded again
 */
public record EventMeta(boolean fromOutside) {

    /** An event raised on this instance. */
    public static final EventMeta LOCAL = new EventMeta(false);

    /** An event that came from another instance. */
    public static final EventMeta FROM_OUTSIDE = new EventMeta(true);
}
