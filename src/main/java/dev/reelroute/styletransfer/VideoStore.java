package dev.reelroute.styletransfer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The videos table: uploads are owned by an account, and another account's video is indistinguishable from none. */
@Component
public class VideoStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public VideoStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public UploadedVideo insert(UploadedVideo video) {
        UploadedVideo stored = new UploadedVideo(video.id(), video.accountId(), video.storageKey(), video.container(),
                video.sizeBytes(), video.durationMs(), video.width(), video.height(), video.fps(), video.videoCodec(),
                video.audioCodec(), video.hasAudio(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        jdbc.update("""
                INSERT INTO videos (id, account_id, storage_key, container, size_bytes, duration_ms, width, height, fps,
                                    video_codec, audio_codec, has_audio, created_at)
                VALUES (:id, :accountId, :key, :container, :size, :durationMs, :width, :height, :fps, :videoCodec,
                        :audioCodec, :hasAudio, :createdAt)""",
                new MapSqlParameterSource("id", stored.id())
                        .addValue("accountId", stored.accountId())
                        .addValue("key", stored.storageKey())
                        .addValue("container", stored.container())
                        .addValue("size", stored.sizeBytes())
                        .addValue("durationMs", stored.durationMs())
                        .addValue("width", stored.width())
                        .addValue("height", stored.height())
                        .addValue("fps", stored.fps())
                        .addValue("videoCodec", stored.videoCodec())
                        .addValue("audioCodec", stored.audioCodec())
                        .addValue("hasAudio", stored.hasAudio())
                        .addValue("createdAt", Timestamp.from(stored.createdAt())));
        return stored;
    }

    public Optional<UploadedVideo> find(String videoId) {
        return jdbc.query("SELECT * FROM videos WHERE id = :id", new MapSqlParameterSource("id", videoId), VIDEO)
                .stream().findFirst();
    }

    public Optional<UploadedVideo> findForAccount(String videoId, String accountId) {
        return find(videoId).filter(video -> video.accountId().equals(accountId));
    }

    private static final RowMapper<UploadedVideo> VIDEO = (rs, i) -> new UploadedVideo(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("storage_key"),
            rs.getString("container"),
            rs.getLong("size_bytes"),
            rs.getLong("duration_ms"),
            rs.getInt("width"),
            rs.getInt("height"),
            rs.getDouble("fps"),
            rs.getString("video_codec"),
            rs.getString("audio_codec"),
            rs.getBoolean("has_audio"),
            rs.getTimestamp("created_at").toInstant());
}
