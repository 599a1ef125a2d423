package dev.hearth.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Which Hearth this is, and which Puter API it speaks. */
public final class Version {

    /** The Puter backend version whose wire contract Hearth speaks. */
    public static final String PUTER_COMPAT = "2.5.1";

    private static final String CURRENT = read();

    private Version() {}

    /** This build's version (the Maven project version), or {@code 0.0.0-dev} when run from unfiltered classes. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "0.0.0-dev" : v;
        } catch (IOException e) {
            return "0.0.0-dev";
        }
    }
}
