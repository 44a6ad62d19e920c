package dev.reelroute.security;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.tokens.TokenLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * For a quick start: REELROUTE_BOOTSTRAP_API_KEY (and optionally REELROUTE_BOOTSTRAP_WEBHOOK_SECRET) create a
 * dev account with that key at start-up, once, with REELROUTE_BOOTSTRAP_TOKENS tokens to spend. Neither value is ever logged. Runs while the context starts
 * (after the migrations, before the web server opens), so the key works as soon as /health answers. The tokens are the
 * account's opening balance ({@link TokenLedger#openingBalance}): the routes have not started, so no top-up route.
 */
@Component
public class BootstrapAccount implements InitializingBean {
    private static final Logger log = LoggerFactory.getLogger(BootstrapAccount.class);

    private final AccountStore accounts;
    private final TokenLedger ledger;
    private final ReelrouteProperties.Bootstrap bootstrap;

    public BootstrapAccount(AccountStore accounts, TokenLedger ledger, ReelrouteProperties properties) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.bootstrap = properties.bootstrap();
    }

    @Override
    public void afterPropertiesSet() {
        String key = bootstrap.apiKey();
        if (key == null || key.isBlank()) {
            return;
        }
        if (accounts.findKey(key.strip()).isPresent()) {
            log.info("Bootstrap API key already exists; nothing to create");
            return;
        }
        var account = accounts.createAccount("dev", bootstrap.webhookSecret(), 1);
        var created = accounts.createKey(account.account().id(), "bootstrap", key.strip());
        if (bootstrap.tokens() > 0) {
            ledger.openingBalance(account.account().id(), bootstrap.tokens(), "Bootstrap account's starting balance");
        }
        log.info("Created the dev account {} with the bootstrap API key (key id {}) and {} tokens",
                account.account().id(), created.keyId(), bootstrap.tokens());
    }
}
