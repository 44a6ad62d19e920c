package dev.reelroute.webhook;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of a job's events go to its webhook, as Replicate's {@code webhook_events_filter} lets a caller choose:
 * {@code start} (a worker took the job), {@code progress} (each stage the job enters) and {@code completed} (the
 * job ended: completed, failed, or cancelled where the surface sends that). Without a filter a job sends what it
 * always has, {@code completed} only. Stored on the job as a comma-separated list; null is the default.
 */
public final class WebhookEvents {
    public enum Event {
        START, PROGRESS, COMPLETED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Set<Event> DEFAULT = EnumSet.of(Event.COMPLETED);
    public static final String ALLOWED = "start, progress, completed";

    private WebhookEvents() {}

    /** A refused filter; the message names the bad value and the allowed ones. */
    public static final class InvalidFilterException extends RuntimeException {
        public InvalidFilterException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code "start,completed"} (the multipart surfaces' form); null or blank is the default. */
    public static String parseCommaSeparated(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return stored(List.of(value.split(",", -1)));
    }

    /** {@code ["start","completed"]} (the JSON surfaces' form, already read as strings); an empty list is refused. */
    public static String stored(Collection<String> values) {
        if (values.isEmpty()) {
            throw new InvalidFilterException("must name at least one event of: " + ALLOWED);
        }
        if (values.size() > 10) {
            throw new InvalidFilterException("names too many events; allowed: " + ALLOWED);
        }
        Set<Event> events = EnumSet.noneOf(Event.class);
        for (String raw : values) {
            String name = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            Event event = switch (name) {
                case "start" -> Event.START;
                case "progress" -> Event.PROGRESS;
                case "completed" -> Event.COMPLETED;
                default -> throw new InvalidFilterException("has an unknown event '"
                        + (raw == null ? "" : raw.strip().length() > 40 ? raw.strip().substring(0, 40) + "…" : raw.strip())
                        + "'; allowed: " + ALLOWED);
            };
            events.add(event);
        }
        return events.stream().map(Event::wireName).collect(Collectors.joining(","));
    }

    /** The events of a stored filter (null: the default). */
    public static Set<Event> of(String stored) {
        if (stored == null || stored.isBlank()) {
            return DEFAULT;
        }
        Set<Event> events = EnumSet.noneOf(Event.class);
        for (String name : stored.split(",")) {
            events.add(Event.valueOf(name.strip().toUpperCase(Locale.ROOT)));
        }
        return events;
    }
}
