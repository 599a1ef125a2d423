package dev.hearth.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SiteErrorPagesTest {

    static SiteErrorPages.Rule rule(String file, Integer status) {
        return new SiteErrorPages.Rule(Optional.ofNullable(file), Optional.ofNullable(status));
    }

    @Test
    void cloudFrontStyle() {
        SiteErrorPages p = SiteErrorPages.parse("{\"CustomErrorResponses\":[{\"ErrorCode\":404,"
                + "\"ResponsePagePath\":\"/404.html\",\"ResponseCode\":\"200\"}]}");
        assertThat(p.forStatus(404)).contains(rule("/404.html", 200));
        assertThat(p.forStatus(500)).isEmpty();
    }

    @Test
    void keyedMapsWithExactClassAndDefaultPrecedence() {
        SiteErrorPages p = SiteErrorPages.parse("{\"errors\":{\"404\":\"nf.html\",\"4xx\":{\"page\":\"/4.html\","
                + "\"statusCode\":410},\"default\":500}}");
        assertThat(p.forStatus(404)).contains(rule("/nf.html", null));
        assertThat(p.forStatus(403)).contains(rule("/4.html", 410));
        assertThat(p.forStatus(502)).contains(rule(null, 500));
        assertThat(SiteErrorPages.parse("{\"404\":{\"file\":\"/x.html\",\"status\":200}}").forStatus(404))
                .contains(rule("/x.html", 200));
        assertThat(SiteErrorPages.parse("{\"file\":\"/all.html\"}").forStatus(404)).contains(rule("/all.html", null));
    }

    @Test
    void singlePageAppRewritesAndNginx() {
        assertThat(SiteErrorPages.parse("{\"rewrites\":[{\"source\":\"/(.*)\",\"destination\":\"/index.html\"}]}")
                .forStatus(404)).contains(rule("/index.html", 200));
        assertThat(SiteErrorPages.parse("{\"rewrites\":[{\"source\":\"/blog\",\"destination\":\"/b.html\"}]}")
                .forStatus(404)).isEmpty();
        SiteErrorPages nginx = SiteErrorPages.parse("server {\n  error_page 404 =200 /index.html;\n"
                + "  error_page 500 502 /50x.html;\n  error_page 403 @named;\n}");
        assertThat(nginx.forStatus(404)).contains(rule("/index.html", 200));
        assertThat(nginx.forStatus(502)).contains(rule("/50x.html", null));
        assertThat(nginx.forStatus(403)).isEmpty();
        assertThat(SiteErrorPages.parse("not a config").forStatus(404)).isEmpty();
        assertThat(SiteErrorPages.parse("{broken json").forStatus(404)).isEmpty();
    }
}
