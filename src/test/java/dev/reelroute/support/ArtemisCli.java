package dev.reelroute.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documented {@code artemis} command lines, run as written: each is read from a {@code bash} block of a docs
 * section, split into arguments as bash would (quotes, backslash-newlines, {@code "$VARIABLE"} expansion) and run
 * with the Artemis CLI of the broker's own version (the distribution's {@code lib/}, unpacked by the build) in a JVM
 * of its own. Only what the test supplies as variables is substituted; a variable the test does not know, or one
 * outside double quotes (where bash would split it), fails the test instead of being guessed.
 */
public final class ArtemisCli {
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ArtemisCli() {}

    /** One documented command: its arguments after {@code artemis}, and whether bash would run it in the background. */
    public record Command(List<String> arguments, boolean background) {}

    /** The page that documents the CLI lines, docs/jms.md ("Submitting jobs over JMS"). */
    public static final String PAGE = "docs/jms.md";

    /** The one {@code artemis <subcommand>} line in the bash blocks of {@link #PAGE}, with {@code variables} substituted. */
    public static Command fromDocs(String subcommand, Map<String, String> variables) {
        List<Command> found = new ArrayList<>();
        for (String line : commandLines(page())) {
            if (line.startsWith("artemis " + subcommand + " ")) {
                found.add(parse(line.substring("artemis ".length()), variables));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("Expected one `artemis " + subcommand + "` line in " + PAGE + ", found "
                    + found.size());
        }
        return found.get(0);
    }

    /**
     * Starts the command in {@code directory} (where its relative file names land); its standard output and error go
     * to {@code output}, its standard input is closed.
     */
    public static Process start(Command command, Path directory, Path output) throws IOException {
        // set by surefire (pom.xml), where the build unpacked the distribution's lib/
        String lib = System.getProperty("reelroute.artemis.lib");
        if (lib == null || !Files.isDirectory(Path.of(lib))) {
            throw new IllegalStateException("No Artemis CLI at " + lib + ": run the test with Maven, which unpacks it");
        }
        List<String> java = ChildProcesses.java("128m");
        java.addAll(List.of("-cp", Path.of(lib).toAbsolutePath() + "/*", "org.apache.activemq.artemis.cli.Artemis"));
        java.addAll(command.arguments());
        Process process = ChildProcesses.start(new ProcessBuilder(java).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()));
        process.getOutputStream().close();
        return process;
    }

    static String page() {
        try {
            return Files.readString(Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve(PAGE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logical lines (backslash-newlines joined) of the section's bash blocks, comments dropped. */
    static List<String> commandLines(String section) {
        List<String> lines = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(section);
        while (block.find()) {
            for (String line : block.group(1).replace("\\\n", "").split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
        }
        return lines;
    }

    /** Splits a command line as bash does for the quoting the docs use: '…', "…" with $VAR and \-escapes. */
    static Command parse(String line, Map<String, String> variables) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean background = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (background) {
                throw new AssertionError("Text after '&' in: " + line);
            }
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
            } else if (c == '&') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                background = true;
                i++;
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '\'') {
                    int close = line.indexOf('\'', i + 1);
                    if (close < 0) {
                        throw new AssertionError("Unclosed ' in: " + line);
                    }
                    word.append(line, i + 1, close);
                    i = close + 1;
                } else if (c == '"') {
                    i = doubleQuoted(line, i + 1, word, variables);
                } else if (c == '$') {
                    throw new AssertionError("Unquoted variable (bash splits it into words) at " + i + " in: " + line);
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(i + 1));
                    i += 2;
                } else if ("|;<>()`".indexOf(c) >= 0) {
                    throw new AssertionError("Shell syntax '" + c + "' this runner does not follow, in: " + line);
                } else {
                    word.append(c);
                    i++;
                }
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return new Command(List.copyOf(words), background);
    }

    /** Appends a "…" string starting at {@code i} (after the quote); returns the index after the closing quote. */
    private static int doubleQuoted(String line, int i, StringBuilder word, Map<String, String> variables) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            } else if (c == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                boolean braced = i + 1 < line.length() && line.charAt(i + 1) == '{';
                Matcher name = VARIABLE.matcher(line).region(braced ? i + 2 : i + 1, line.length());
                if (!name.lookingAt()) {
                    throw new AssertionError("A '$' this runner does not follow at " + i + " in: " + line);
                }
                String value = variables.get(name.group());
                if (value == null) {
                    throw new AssertionError("The test gives no value for $" + name.group() + " in: " + line);
                }
                word.append(value);
                i = name.end();
                if (braced) {
                    if (i >= line.length() || line.charAt(i) != '}') {
                        throw new AssertionError("Unclosed ${ in: " + line);
                    }
                    i++;
                }
            } else if (c == '`') {
                throw new AssertionError("Command substitution this runner does not follow, in: " + line);
            } else {
                word.append(c);
                i++;
            }
        }
        throw new AssertionError("Unclosed \" in: " + line);
    }
}
