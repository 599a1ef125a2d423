package dev.hearth.kernel;

/**
 * Builds a service in the construct phase. A constructor only keeps what it is given: it must not call other
 * services or emit events, because they may not exist yet.
 */
@FunctionalInterface
public interface ServiceFactory<S extends Service> {
    S create(ServiceContext context);
}
