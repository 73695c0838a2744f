package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JobOptionsTest {

    @Test
    void roundTripsEveryKindOfValueThroughJson() {
        JobOptions o = JobOptions.empty().with("rate.max", 524288).with("proxy.usage", "override")
                .with("tls.ignore", "unknown-ca,\"name\"").with("notify.on", true);
        JobOptions back = JobOptions.parse(o.toJson());
        assertEquals(o, back);
        assertEquals(524288, back.number("rate.max", -1));
        assertEquals("unknown-ca,\"name\"", back.string("tls.ignore"));
        assertEquals(true, back.flag("notify.on", false));
    }

    @Test
    void removesByNameAndByPrefix() {
        JobOptions o = JobOptions.parse("{\"cred.server.basic.user\":\"u\",\"cred.proxy.basic.user\":\"p\",\"x\":1}");
        assertFalse(o.with("x", null).has("x"));
        JobOptions left = o.withoutPrefix("cred.");
        assertEquals("{\"x\":1}", left.toJson());
        assertNull(left.string("cred.server.basic.user"));
    }

    @Test
    void blankIsEmptyAndNestedIsRefused() {
        assertEquals("{}", JobOptions.parse("  ").toJson());
        assertEquals("{}", JobOptions.parse(null).toJson());
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("{\"a\":{\"b\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.empty().with("a", 1.5));
    }
}
