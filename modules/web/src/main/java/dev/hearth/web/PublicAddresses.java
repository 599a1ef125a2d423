package dev.hearth.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Which IP addresses are on the public internet. Everything else (loopback, private, link-local, carrier-grade NAT,
 * benchmarking, documentation, multicast, reserved, and the same behind IPv6's IPv4-mapped, NAT64 and 6to4 forms) is
 * somebody's own network, where a fetch on a user's behalf must not go.
 */
final class PublicAddresses {

    private PublicAddresses() {}

    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]*|[0-9]+", Pattern.CASE_INSENSITIVE);

    /**
     * True for an IPv6 literal, or an IPv4 one in any of the forms resolvers accept: one to four dot-separated
     * decimal, octal or hexadecimal numbers ({@code 127.0.0.1}, {@code 2130706433}, {@code 0x7f.1}).
     */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (String part : parts) {
            if (!NUMBER.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return isPublicV4(v4.getAddress());
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && b.length == 16) {
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return isPublicV4(slice(b, 12));                       // ::ffff:a.b.c.d, IPv4-mapped
            }
            if (isZero(b, 0, 12)) {
                return false;                                          // ::, ::1 and the deprecated IPv4-compatible
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return isPublicV4(slice(b, 12));                       // 64:ff9b::/96, NAT64
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublicV4(slice(b, 2));                        // 2002::/16, 6to4
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false;                                          // 2001:db8::/32, documentation
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x00 && (b[3] & 0xff) == 0x00) {
                return false;                                          // 2001::/32, Teredo
            }
            // Global unicast is 2000::/3; everything else (fc00::/7 unique local, fe80::/10 link-local, ff00::/8
            // multicast, the reserved ranges) is not on the public internet.
            return (b[0] & 0xe0) == 0x20;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        return !(b0 == 0                                   // 0.0.0.0/8 "this network"
                || b0 == 10                                // private
                || b0 == 127                               // loopback
                || b0 == 100 && b1 >= 64 && b1 <= 127      // 100.64.0.0/10 carrier-grade NAT
                || b0 == 169 && b1 == 254                  // link-local, cloud metadata
                || b0 == 172 && b1 >= 16 && b1 <= 31       // private
                || b0 == 192 && b1 == 0 && b2 == 0         // IETF protocol assignments
                || b0 == 192 && b1 == 0 && b2 == 2         // documentation
                || b0 == 192 && b1 == 88 && b2 == 99       // 6to4 relay anycast
                || b0 == 192 && b1 == 168                  // private
                || b0 == 198 && (b1 == 18 || b1 == 19)     // benchmarking
                || b0 == 198 && b1 == 51 && b2 == 100      // documentation
                || b0 == 203 && b1 == 0 && b2 == 113       // documentation
                || b0 >= 224);                             // multicast, reserved, broadcast
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }
}
