package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Only the web module may know Jetty: nothing public in {@code dev.hearth.web} may mention a Jetty type. */
class PublicApiTest {

    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.web");

    @Test
    void noJettyTypeInThePublicApi() {
        List<String> leaks = new ArrayList<>();
        for (JavaClass c : WEB) {
            Class<?> type = c.reflect();
            if (!reachable(type)) {
                continue;
            }
            if (mentionsJetty(type.getGenericSuperclass() + " " + Arrays.toString(type.getGenericInterfaces()))) {
                leaks.add(type.getName() + " (supertypes)");
            }
            List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredConstructors()));
            members.addAll(Arrays.asList(type.getDeclaredMethods()));
            for (Executable m : members) {
                if (!Modifier.isPublic(m.getModifiers()) && !(m instanceof Method && type.isInterface())) {
                    continue;
                }
                String signature = m.toGenericString() + (m instanceof Method method
                        ? " " + method.getGenericReturnType() : "");
                if (mentionsJetty(signature)) {
                    leaks.add(signature);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) && mentionsJetty(f.toGenericString())) {
                    leaks.add(f.toGenericString());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void thePublicSurfaceIsSmall() {
        List<String> publicTypes = WEB.stream().map(JavaClass::reflect)
                .filter(t -> Modifier.isPublic(t.getModifiers()) && t.getEnclosingClass() == null)
                .map(Class::getSimpleName).sorted().toList();
        assertThat(publicTypes).containsExactly("ByteSource", "ClientEvent", "Handler", "HostScope", "HttpService",
                "Middleware", "MultipartReader", "PublicFetcher", "PublicUrls", "Request", "Response", "Router", "SentToUser",
                "SocketAuthenticator", "SocketFanout", "SocketIdentity", "Sockets", "Stage", "UserSocket", "WebModule",
                "WebServer");
    }

    /** Public, and so are the classes it is nested in (a public class nested in a package-private one is not API). */
    private static boolean reachable(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean mentionsJetty(String text) {
        return text.contains("org.eclipse.jetty");
    }
}
