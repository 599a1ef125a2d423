package dev.hearth.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SitePathsTest {

    @Test
    void decodesThenNormalisesThenConfines() {
        assertThat(SitePaths.resolve("/")).contains("/");
        assertThat(SitePaths.resolve("")).contains("/");
        assertThat(SitePaths.resolve("/a/b.html")).contains("/a/b.html");
        assertThat(SitePaths.resolve("/a/")).contains("/a/");
        assertThat(SitePaths.resolve("/a/./b/../c.txt")).contains("/a/c.txt");
        assertThat(SitePaths.resolve("//a//b")).contains("/a/b");
        assertThat(SitePaths.resolve("/caf%C3%A9%20menu.html")).contains("/café menu.html");
        assertThat(SitePaths.resolve("/a+b.html")).as("a plus is a plus in a path").contains("/a+b.html");
        assertThat(SitePaths.resolve("/a/..")).contains("/");
    }

    @Test
    void refusesEscapesEncodedSeparatorsAndControlCharacters() {
        assertThat(SitePaths.resolve("/../secret")).isEmpty();
        assertThat(SitePaths.resolve("/a/../../secret")).isEmpty();
        assertThat(SitePaths.resolve("/%2e%2e/secret")).as("decoded before normalising").isEmpty();
        assertThat(SitePaths.resolve("/a/%2E%2E/%2e%2e/x")).isEmpty();
        assertThat(SitePaths.resolve("/..%2fsecret")).isEmpty();
        assertThat(SitePaths.resolve("/a%2Fb")).isEmpty();
        assertThat(SitePaths.resolve("/a%5c..%5cb")).isEmpty();
        assertThat(SitePaths.resolve("/a\\b")).isEmpty();
        assertThat(SitePaths.resolve("/a%00.html")).isEmpty();
        assertThat(SitePaths.resolve("/a%0d%0a")).isEmpty();
        assertThat(SitePaths.resolve("/bad%zz")).isEmpty();
        assertThat(SitePaths.resolve("/trunc%4")).isEmpty();
        assertThat(SitePaths.resolve("/%ff%fe")).as("not UTF-8").isEmpty();
    }
}
