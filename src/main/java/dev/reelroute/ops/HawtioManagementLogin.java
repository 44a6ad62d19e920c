package dev.reelroute.ops;

import io.hawt.springboot.HawtioEndpoint;
import io.hawt.system.ConfigManager;
import io.hawt.web.auth.AuthenticationConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Gives Hawtio's authentication filter (on the management server) the {@link HawtioLogin} realm. Runs in the
 * management server's own context, where Hawtio's servlet context lives: before Hawtio's context listener starts,
 * it creates Hawtio's authentication configuration with the service's JAAS configuration in it, which the listener
 * then finds and keeps. Listed in META-INF/spring/…ManagementContextConfiguration.imports; the component scan of the
 * main context also meets it, where the condition keeps it out.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnClass(HawtioEndpoint.class)
@ConditionalOnBean(HawtioEndpoint.class)
@Conditional(HawtioManagementLogin.InManagementChildContext.class)
public class HawtioManagementLogin {
    @Bean
    ServletContextInitializer reelrouteHawtioLogin(ConfigManager hawtioConfigManager,
                                                   @Value("${reelroute.hawtio.user:admin}") String user,
                                                   @Value("${reelroute.hawtio.password:}") String password) {
        HawtioLogin.Credentials credentials = new HawtioLogin.Credentials(user, password);
        return servletContext -> {
            // AuthenticationConfiguration reads its settings from the ConfigManager attribute
            servletContext.setAttribute("ConfigManager", hawtioConfigManager);
            AuthenticationConfiguration.getConfiguration(servletContext)
                    .setConfiguration(HawtioLogin.configuration(credentials));
        };
    }

    /** True in the management server's child context only (the main context has no parent). */
    static final class InManagementChildContext implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
        }
    }
}
