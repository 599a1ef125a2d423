package dev.hearth.kernel;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Modules from jars in a folder (the data directory's {@code mods/}), each jar in a class loader of its own
 * whose parent is the kernel's, so that a module sees Hearth's API and its own classes but not another
 * module's. Jars are taken in name order.
 */
final class ExternalModules implements AutoCloseable {

    private final List<URLClassLoader> loaders = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();

    ExternalModules(Path folder, ClassLoader parent) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new BootException("cannot list the external modules in " + folder + ": " + e.getMessage(), e);
        }
        for (Path jar : jars) {
            URLClassLoader loader = new URLClassLoader("mod:" + jar.getFileName(), new URL[] {url(jar)}, parent);
            loaders.add(loader);
            List<Module> found = new ArrayList<>();
            try {
                ServiceLoader.load(Module.class, loader).stream()
                        .filter(p -> p.type().getClassLoader() == loader)
                        .forEach(p -> found.add(p.get()));
            } catch (RuntimeException | LinkageError e) {
                throw new BootException("the external module jar " + jar + " cannot be loaded: " + e.getMessage(), e);
            }
            if (found.isEmpty()) {
                throw new BootException("the jar " + jar + " in " + folder + " declares no module: it needs "
                        + "META-INF/services/" + Module.class.getName(), null);
            }
            modules.addAll(found);
        }
    }

    List<Module> modules() {
        return List.copyOf(modules);
    }

    @Override
    public void close() {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // the process is going away or the jar is gone; nothing to recover
            }
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new BootException("not a usable jar path: " + jar, e);
        }
    }
}
