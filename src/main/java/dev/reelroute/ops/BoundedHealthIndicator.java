package dev.reelroute.ops;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A readiness check that answers within a bound. An orchestrator's probe gives up after a second or two, and some
 * checks hang while their server is gone (a JMS connection waits on the client's reconnect attempts): past the
 * bound the component is DOWN, saying so, instead of the probe hanging. One check runs at a time, on a thread of
 * its own; a probe that finds it still running waits for that one, within the same bound, rather than starting
 * another.
 */
final class BoundedHealthIndicator implements HealthIndicator, DisposableBean {
    private final String name;
    private final HealthIndicator check;
    private final Duration bound;
    private final ExecutorService runner;
    private Future<Health> running;

    BoundedHealthIndicator(String name, HealthIndicator check, Duration bound) {
        this.name = name;
        this.check = check;
        this.bound = bound;
        this.runner = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name + "-health");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Health health() {
        Future<Health> answer;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = runner.submit(check::health);
            }
            answer = running;
        }
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("error", "The " + name + " gave no answer within " + bound.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() instanceof Exception cause ? cause : e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
