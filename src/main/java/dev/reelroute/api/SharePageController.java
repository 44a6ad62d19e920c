package dev.reelroute.api;

import dev.reelroute.web.PageHeaders;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.storage.LinkSigner;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The public page behind outputShareLink: a video player, reachable only with the job's unguessable token. Its
 * CSP, nosniff and referrer policy come from {@link PageHeaders}.
 */
@RestController
public class SharePageController {
    private final JobStore jobs;
    private final LinkSigner links;

    public SharePageController(JobStore jobs, LinkSigner links) {
        this.jobs = jobs;
        this.links = links;
    }

    @GetMapping("/share/{token}")
    public ResponseEntity<String> share(@PathVariable String token) {
        Job job = token.matches("[A-Za-z0-9_-]{20,64}") ? jobs.findByShareToken(token).orElse(null) : null;
        if (job == null || job.status() != JobStatus.COMPLETED || job.outputVideoKey() == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_HTML)
                    .body(page("Video not found", "<p>This video does not exist or is not ready.</p>"));
        }
        String video = HtmlUtils.htmlEscape(links.signedUrl(job.outputVideoKey()));
        String poster = job.thumbnailKey() == null ? "" : HtmlUtils.htmlEscape(links.signedUrl(job.thumbnailKey()));
        String body = "<video controls playsinline preload=\"metadata\" src=\"" + video + "\" poster=\"" + poster
                + "\"></video>\n<p><a href=\"" + video + "\" download>Download MP4</a></p>";
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noStore())
                .header("X-Robots-Tag", "noindex")
                .body(page("Shared video", body));
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · reelroute</title>
                <style>body{margin:0;background:#111;color:#eee;font:16px system-ui,sans-serif;display:flex;
                flex-direction:column;align-items:center;justify-content:center;min-height:100vh}
                video{max-width:96vw;max-height:80vh;background:#000}a{color:#8cf}</style></head>
                <body>%s</body></html>
                """.formatted(HtmlUtils.htmlEscape(title), body);
    }
}
