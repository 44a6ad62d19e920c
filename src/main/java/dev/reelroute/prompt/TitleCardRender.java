package dev.reelroute.prompt;

import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.RenderSize;

import java.nio.file.Path;

/**
 * A title card for a bare text prompt; see {@link PromptVideoCommands#titleCard}.
 *
 * @param ffmpeg  ffmpeg executable, usually {@link FfmpegBinaries#ffmpeg()}
 * @param prompt  the user's prompt, any length (only the start is shown); it goes into text files, never into the
 *                command
 * @param size    the card's size, normally the video's; null means {@link RenderSize#DEFAULT}
 * @param textDir a work directory of ours where the card's text files are written ({@code title-line-N.txt})
 * @param output  the PNG
 */
public record TitleCardRender(String ffmpeg, String prompt, RenderSize size, Path textDir, Path output) {
}
