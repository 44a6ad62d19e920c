package dev.reelroute.provider;

import java.util.Locale;

/**
 * The remote providers reelroute speaks to. Each one names the environment variable its token comes from (the
 * one the provider's own SDKs read) and the scheme of its Authorization header.
 */
public enum ProviderName {
    REPLICATE("REPLICATE_API_TOKEN", "Bearer"),
    FAL("FAL_KEY", "Key");

    private final String tokenVariable;
    private final String authScheme;

    ProviderName(String tokenVariable, String authScheme) {
        this.tokenVariable = tokenVariable;
        this.authScheme = authScheme;
    }

    /** The name used in settings, routes, job rows and messages: {@code replicate}, {@code fal}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String tokenVariable() {
        return tokenVariable;
    }

    /** The setting that holds the token, for messages that tell an operator what to configure. */
    public String tokenSetting() {
        return "reelroute.providers." + id() + ".token";
    }

    public String authScheme() {
        return authScheme;
    }

    public static ProviderName of(String id) {
        for (ProviderName p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown provider '" + id + "'");
    }

    @Override
    public String toString() {
        return id();
    }
}
