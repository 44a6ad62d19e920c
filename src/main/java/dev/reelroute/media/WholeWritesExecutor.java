package dev.reelroute.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecDefaultExecutor;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.springframework.stereotype.Component;

/**
 * camel-exec's executor with one difference: the body goes to the process's stdin by
 * {@link InputStream#transferTo}, on a thread of its own, so an input that writes whole frames at a time (a
 * project's {@code SegmentFrames}) reaches the pipe a frame per write. commons-exec's own pump reads and writes
 * 1 KB at a time: for 1.4 MB frames, over a thousand calls and some hundred system calls each, which cost about as
 * much as an eighth of the encode (bench/README.md, "Camera motion in Java"). Endpoints opt in with
 * {@code commandExecutor=#wholeWritesExecutor}; timeouts, exit values, stdout and stderr are camel-exec's.
 */
@Component("wholeWritesExecutor")
public class WholeWritesExecutor extends DefaultExecCommandExecutor {

    @Override
    protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
        DefaultExecutor configured = super.prepareDefaultExecutor(command);
        InputStream input = command.getInput();
        DefaultExecutor executor = new ExecDefaultExecutor() {
            @Override
            public void setStreamHandler(ExecuteStreamHandler streams) {
                super.setStreamHandler(new StdinByTransfer(streams, input));
            }
        };
        executor.setExitValues(null);
        if (configured.getWorkingDirectory() != null) {
            executor.setWorkingDirectory(configured.getWorkingDirectory());
        }
        executor.setWatchdog(configured.getWatchdog());
        executor.setProcessDestroyer(configured.getProcessDestroyer());
        return executor;
    }

    /** camel-exec's stream handler for stdout and stderr; stdin fed from {@code input} by its own thread. */
    private static final class StdinByTransfer implements ExecuteStreamHandler {
        private final ExecuteStreamHandler outputs;
        private final InputStream input;
        private Thread feeder;

        StdinByTransfer(ExecuteStreamHandler outputs, InputStream input) {
            this.outputs = outputs;
            this.input = input;
        }

        @Override
        public void setProcessInputStream(OutputStream stdin) throws IOException {
            if (input == null) {
                outputs.setProcessInputStream(stdin);
                return;
            }
            feeder = new Thread(() -> feed(stdin), "exec-stdin");
            feeder.setDaemon(true);
        }

        private void feed(OutputStream stdin) {
            try (stdin) {
                input.transferTo(stdin);
            } catch (IOException processGone) {
                // the process exited or was killed before reading it all: its exit value says what happened
            }
        }

        @Override
        public void setProcessErrorStream(InputStream stderr) throws IOException {
            outputs.setProcessErrorStream(stderr);
        }

        @Override
        public void setProcessOutputStream(InputStream stdout) throws IOException {
            outputs.setProcessOutputStream(stdout);
        }

        @Override
        public void start() throws IOException {
            outputs.start();
            if (feeder != null) {
                feeder.start();
            }
        }

        @Override
        public void stop() throws IOException {
            if (feeder != null) {
                try {
                    // the process has exited: a write still blocked fails now, so this is quick
                    feeder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            outputs.stop();
        }
    }
}
