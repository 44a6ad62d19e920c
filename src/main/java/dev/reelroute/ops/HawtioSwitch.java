package dev.reelroute.ops;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Hawtio and its Jolokia endpoint are on only when a Hawtio password is set ({@code REELROUTE_HAWTIO_PASSWORD},
 * bound as {@code reelroute.hawtio.password}); then Hawtio's authentication is always on, whatever else the
 * configuration says. Without a password both endpoints are switched off (not merely unexposed), so Jolokia,
 * which reads and writes every MBean, can never be reached without credentials; and Camel registers no MBeans.
 */
public class HawtioSwitch implements EnvironmentPostProcessor {
    static final String SOURCE = "reelrouteHawtioSwitch";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String password = environment.getProperty("reelroute.hawtio.password", "");
        Map<String, Object> forced = new HashMap<>();
        if (password.isBlank()) {
            forced.put("management.endpoint.hawtio.access", "none");
            forced.put("management.endpoint.jolokia.access", "none");
            // Camel's MBeans (its context, every route and processor) are what Hawtio shows: without it no one
            // reads them, and registering them costs about a second of the start
            forced.put("camel.main.jmx-enabled", "false");
        } else {
            forced.put("hawtio.authenticationEnabled", "true");
            forced.put("hawtio.realm", HawtioLogin.REALM);
            forced.put("hawtio.roles", HawtioLogin.ROLE);
            forced.put("hawtio.rolePrincipalClasses", "io.hawt.web.auth.RolePrincipal");
            // Hawtio would otherwise look for a container realm (tomcat-users.xml) before ours
            forced.put("hawtio.authenticationContainerDiscoveryClasses", "");
            forced.put("hawtio.keycloakEnabled", "false");
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, forced));
    }
}
