package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceStoreTest {
  @TempDir Path dir;

  @Test
  void freshDirectoryStartsAtOneAndCounts() {
    SequenceStore store = SequenceStore.open(dir);
    assertThat(store.next()).isEqualTo(1);
    assertThat(store.next()).isEqualTo(2);
    assertThat(store.next()).isEqualTo(3);
  }

  @Test
  void reopeningContinuesAboveEveryNumberHandedOutBefore() {
    SequenceStore first = SequenceStore.open(dir);
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = first.next();
    }
    SequenceStore second = SequenceStore.open(dir);
    assertThat(second.next()).isGreaterThan(last);
  }

  @Test
  void numbersNeverRepeatAcrossManySimulatedCrashes() throws Exception {
    // Each "run" takes a few numbers and is abandoned without any close: a SIGKILL leaves nothing
    // more behind than this. Block size 3 makes runs end inside, at and across block boundaries.
    List<Long> all = new ArrayList<>();
    for (int run = 0; run < 20; run++) {
      SequenceStore store = SequenceStore.open(dir, 3);
      for (int i = 0; i < run % 7; i++) {
        long n = store.next();
        // The durable mark always covers every number already handed out.
        long mark = Long.parseLong(Files.readString(dir.resolve(SequenceStore.FILE_NAME)).strip());
        assertThat(mark).isGreaterThanOrEqualTo(n);
        all.add(n);
      }
    }
    Set<Long> unique = new HashSet<>(all);
    assertThat(unique).hasSameSizeAs(all);
    assertThat(all).isSorted();
    assertThat(all.get(0)).isEqualTo(1);
  }

  @Test
  void leftoverTempFileFromACrashedWriteIsIgnored() throws Exception {
    SequenceStore.open(dir, 10).next();
    Files.writeString(dir.resolve(SequenceStore.FILE_NAME + ".tmp"), "garbage");
    assertThat(SequenceStore.open(dir, 10).next()).isEqualTo(11);
    assertThat(dir.resolve(SequenceStore.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  void refusesToGuessWhenTheMarkFileIsCorrupt() throws Exception {
    Files.writeString(dir.resolve(SequenceStore.FILE_NAME), "12x");
    assertThatThrownBy(() -> SequenceStore.open(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SequenceStore.FILE_NAME)
        .hasMessageContaining("corrupt");
  }
}
