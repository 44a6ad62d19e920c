package dev.reelroute.ops;

import dev.reelroute.security.Secrets;
import io.hawt.web.auth.RolePrincipal;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * The JAAS login Hawtio asks (realm {@value #REALM}): one user and password from the environment
 * ({@code REELROUTE_HAWTIO_USER}, {@code REELROUTE_HAWTIO_PASSWORD}), compared in constant time, granting the
 * role {@value #ROLE}. The credentials reach the module as an option of the realm's configuration, never through
 * system properties or files.
 */
public class HawtioLogin implements LoginModule {
    public static final String REALM = "reelroute-hawtio";
    public static final String ROLE = "admin";
    static final String CREDENTIALS = "credentials";

    /** The configured user; toString never shows the password. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }
    }

    /** A JAAS configuration that knows only Hawtio's realm. */
    public static Configuration configuration(Credentials credentials) {
        AppConfigurationEntry entry = new AppConfigurationEntry(HawtioLogin.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of(CREDENTIALS, credentials));
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return REALM.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    private Subject subject;
    private CallbackHandler handler;
    private Credentials credentials;
    private String user;
    private final List<Principal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.credentials = (Credentials) options.get(CREDENTIALS);
    }

    @Override
    public boolean login() throws LoginException {
        if (credentials == null || credentials.password() == null || credentials.password().isBlank()) {
            throw new FailedLoginException("Hawtio has no password configured");
        }
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException("Could not read the credentials: " + e.getClass().getSimpleName());
        }
        char[] given = password.getPassword();
        String givenPassword = given == null ? "" : new String(given);
        if (given != null) {
            Arrays.fill(given, '\0');
        }
        password.clearPassword();
        String givenUser = name.getName() == null ? "" : name.getName();
        // both compared whatever the first gives: no answer comes sooner for a right user name
        boolean userMatches = Secrets.constantTimeEquals(credentials.user(), givenUser);
        boolean passwordMatches = Secrets.constantTimeEquals(credentials.password(), givenPassword);
        if (!(userMatches & passwordMatches)) {
            throw new FailedLoginException("Invalid user name or password");
        }
        user = givenUser;
        return true;
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        String name = user;
        added.add(new Principal() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public String toString() {
                return "HawtioUser[" + name + "]";
            }
        });
        added.add(new RolePrincipal(ROLE));
        subject.getPrincipals().addAll(added);
        return true;
    }

    @Override
    public boolean abort() {
        return logout();
    }

    @Override
    public boolean logout() {
        if (subject != null) {
            added.forEach(subject.getPrincipals()::remove);
        }
        added.clear();
        user = null;
        return true;
    }
}
