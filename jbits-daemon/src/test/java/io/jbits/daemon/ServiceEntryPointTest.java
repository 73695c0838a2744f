package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.ServiceEntryPoint;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The launcher starts the daemon by a class name it cannot check at compile time: this is that check. */
class ServiceEntryPointTest {
    @Test
    void theEntryPointIsTheDaemonsMainClassWithAMain() throws Exception {
        Class<?> main = Class.forName(ServiceEntryPoint.MAIN_CLASS);
        assertEquals(Main.class, main);
        Method m = main.getMethod("main", String[].class);
        assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), m.toString());
        assertEquals(void.class, m.getReturnType());
        assertNotNull(getClass().getClassLoader().getResource(ServiceEntryPoint.classResource()),
                ServiceEntryPoint.classResource());
    }
}
