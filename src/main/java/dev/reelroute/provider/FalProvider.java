package dev.reelroute.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fal's queue API. {@code submit} posts the input to {@code {base}/{model-id}}; the prediction id it returns is
 * {@code {owner}/{app}/requests/{request_id}}, the request's path under the queue base, so that polls and
 * cancels work from the id alone (after a restart too). While the adapter remembers the {@code status_url},
 * {@code response_url} and {@code cancel_url} fal answered with (same origin as the base URL only), it uses them.
 */
public class FalProvider implements RemoteVideoProvider {
    private static final Logger log = LoggerFactory.getLogger(FalProvider.class);
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/requests/[A-Za-z0-9._-]+");

    private record Urls(URI status, URI response, URI cancel) {
    }

    private final ProviderHttp http;
    private final Map<String, Urls> urls = new ConcurrentHashMap<>();

    public FalProvider(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public String name() {
        return "fal";
    }

    @Override
    public RemotePrediction submit(RemoteClipRequest r) throws ProviderException {
        String model = r.model().strip();
        if (!MODEL.matcher(model).matches()) {
            throw ProviderException.input(0, "fal model id must look like owner/app[/path...]");
        }
        JsonNode node = http.sendJson("submit", "POST", http.api("/" + model), r.input());
        String requestId = text(node, "request_id");
        if (requestId == null || !SEGMENT.matcher(requestId).matches()) {
            throw ProviderException.malformed("malformed response from fal: submit answer without a request_id",
                    null);
        }
        String[] parts = model.split("/");
        String id = parts[0] + "/" + parts[1] + "/requests/" + requestId;
        urls.put(id, new Urls(link(node, "status_url"), link(node, "response_url"), link(node, "cancel_url")));
        String status = text(node, "status");
        List<String> logs = new ArrayList<>();
        if (node.hasNonNull("queue_position")) {
            logs.add("queued at position " + node.get("queue_position").asInt());
        }
        return new RemotePrediction(id, "IN_PROGRESS".equals(status) ? RemotePrediction.RUNNING
                : RemotePrediction.QUEUED, null, logs, null, null);
    }

    @Override
    public RemotePrediction poll(String id) throws ProviderException {
        URI status = statusUri(id);
        JsonNode node = http.sendJson("status", "GET", withLogs(status), null);
        String raw = text(node, "status");
        if (raw == null) {
            throw ProviderException.malformed("malformed response from fal: status answer without a status", null);
        }
        List<String> logs = logs(node);
        switch (raw) {
            case "IN_QUEUE" -> {
                if (node.hasNonNull("queue_position")) {
                    logs.add(0, "queued at position " + node.get("queue_position").asInt());
                }
                return new RemotePrediction(id, RemotePrediction.QUEUED, null, logs, null, null);
            }
            case "IN_PROGRESS" -> {
                return new RemotePrediction(id, RemotePrediction.RUNNING, Progress.lastPercent(logs), logs, null,
                        null);
            }
            case "CANCELLED", "CANCELED" -> {
                urls.remove(id);
                return new RemotePrediction(id, RemotePrediction.CANCELED, null, logs, null, null);
            }
            case "COMPLETED" -> {
                try {
                    return completed(id, node, logs);
                } finally {
                    urls.remove(id);
                }
            }
            default -> throw ProviderException.malformed("malformed response from fal: unknown status '"
                    + http.redact(raw) + "'", null);
        }
    }

    private RemotePrediction completed(String id, JsonNode statusNode, List<String> logs) {
        String statusError = ProviderHttp.detail(onlyError(statusNode));
        if (statusError != null && !statusError.isBlank()) {
            return failed(id, logs, http.redact(statusError));
        }
        ProviderHttp.Response response = http.exchange("result", "GET", responseUri(id), null);
        if (!response.ok()) {
            if (response.status() / 100 == 4) {
                // The request ran and ended in an error (e.g. 422 validation of the input by the model).
                return failed(id, logs, http.detail(response));
            }
            throw http.failure(response);
        }
        JsonNode result = http.parse(response, "GET result");
        String resultError = ProviderHttp.detail(onlyError(result));
        if (resultError != null && !resultError.isBlank()) {
            return failed(id, logs, http.redact(resultError));
        }
        String url = videoUrl(result);
        if (url == null) {
            throw ProviderException.malformed("malformed response from fal: completed result without video.url "
                    + "or videos[0].url", null);
        }
        return new RemotePrediction(id, RemotePrediction.SUCCEEDED, 100, logs,
                http.followable(url, "video URL").toString(), null);
    }

    private static RemotePrediction failed(String id, List<String> logs, String error) {
        return new RemotePrediction(id, RemotePrediction.FAILED, null, logs, null, error);
    }

    /** Only the error fields (error, detail) of a status or result, so that detail() does not read "message". */
    private static JsonNode onlyError(JsonNode node) {
        com.fasterxml.jackson.databind.node.ObjectNode out = new ObjectMapper().createObjectNode();
        for (String f : List.of("error", "detail")) {
            if (node.hasNonNull(f)) {
                out.set(f, node.get(f));
            }
        }
        return out;
    }

    @Override
    public void cancel(String id) throws ProviderException {
        Urls known = urls.get(id);
        URI uri = known != null && known.cancel() != null ? known.cancel()
                : http.api("/" + checkId(id) + "/cancel");
        ProviderHttp.Response response = http.exchange("cancel", "PUT", uri, null);
        boolean alreadyCompleted = response.status() == 400 && response.text().contains("ALREADY_COMPLETED");
        if (!response.ok() && !alreadyCompleted) {
            throw http.failure(response);
        }
        if (alreadyCompleted) {
            log.debug("fal request {} had already completed when cancelled", id);
        }
        // a cancelled request is usually not polled again, so its URLs would never be forgotten otherwise
        urls.remove(id);
    }

    @Override
    public Path download(String outputUrl, Path target, long maxBytes) throws ProviderException {
        return http.download(http.followable(outputUrl, "output URL"), target, maxBytes);
    }

    private URI statusUri(String id) {
        Urls known = urls.get(id);
        return known != null && known.status() != null ? known.status() : http.api("/" + checkId(id) + "/status");
    }

    private URI responseUri(String id) {
        Urls known = urls.get(id);
        return known != null && known.response() != null ? known.response() : http.api("/" + checkId(id));
    }

    private static URI withLogs(URI status) {
        String s = status.toString();
        return URI.create(s + (status.getRawQuery() == null ? "?" : "&") + "logs=1");
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ProviderException.input(0, "not a fal request id (owner/app/requests/request_id)");
        }
        return id;
    }

    private List<String> logs(JsonNode node) {
        List<String> lines = new ArrayList<>();
        JsonNode logs = node.get("logs");
        if (logs != null && logs.isArray()) {
            for (JsonNode entry : logs) {
                String message = entry.isTextual() ? entry.asText() : text(entry, "message");
                if (message != null && !message.isBlank()) {
                    lines.add(http.redact(message.strip()));
                }
            }
        }
        return lines;
    }

    private URI link(JsonNode node, String field) {
        String raw = text(node, field);
        if (raw == null) {
            return null;
        }
        try {
            URI uri = http.followable(raw, field);
            if (!http.sameOrigin(uri)) {
                log.warn("fal {} points to {}, not the queue origin; using the default URL instead", field,
                        ProviderHttp.safe(uri));
                return null;
            }
            return uri;
        } catch (ProviderException e) {
            log.warn("ignoring fal {}: {}", field, e.getMessage());
            return null;
        }
    }

    private static String videoUrl(JsonNode result) {
        JsonNode video = result.get("video");
        if (video != null && video.isObject() && video.hasNonNull("url") && video.get("url").isTextual()) {
            return video.get("url").asText();
        }
        JsonNode videos = result.get("videos");
        if (videos != null && videos.isArray() && !videos.isEmpty()) {
            JsonNode first = videos.get(0);
            if (first.isObject() && first.hasNonNull("url") && first.get("url").isTextual()) {
                return first.get("url").asText();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
