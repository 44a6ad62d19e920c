package dev.reelroute.prompt;

import java.util.List;

/**
 * A title card ready to render.
 *
 * @param command            the ffmpeg command that writes the PNG
 * @param hasText            false when the card is the gradient alone
 * @param textOmittedBecause why there is no text (for the job's log), or null when there is
 */
public record TitleCard(List<String> command, boolean hasText, String textOmittedBecause) {
}
