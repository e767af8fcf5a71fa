package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static byte[] body(long seq) {
    return ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static List<Long> seqs(List<Spool.Entry> entries) {
    return entries.stream().map(Spool.Entry::seq).toList();
  }

  @Test
  void keepsSequenceOrderAcrossAReopen() {
    Spool spool = Spool.open(dir);
    spool.append(3, body(3));
    spool.append(1, body(1));
    spool.append(2, body(2));

    Spool reopened = Spool.open(dir);
    List<Spool.Entry> entries = reopened.peekOldest(10);
    assertThat(seqs(entries)).containsExactly(1L, 2L, 3L);
    assertThat(new String(entries.get(1).json(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":2}");
    assertThat(reopened.depth()).isEqualTo(3);
    assertThat(reopened.bytes()).isEqualTo(3L * body(1).length);
  }

  @Test
  void peekReturnsAtMostNOldestAndRemoveDeletes() {
    Spool spool = Spool.open(dir);
    for (long s = 1; s <= 5; s++) {
      spool.append(s, body(s));
    }
    assertThat(seqs(spool.peekOldest(2))).containsExactly(1L, 2L);
    assertThat(spool.remove(1)).isTrue();
    assertThat(spool.remove(1)).isFalse();
    assertThat(seqs(spool.peekOldest(2))).containsExactly(2L, 3L);
    assertThat(Spool.open(dir).depth()).isEqualTo(4);
  }

  @Test
  void countBoundDropsTheOldestAndCountsThem() {
    Spool spool = Spool.open(dir, 3, 1 << 20);
    for (long s = 1; s <= 5; s++) {
      spool.append(s, body(s));
    }
    assertThat(spool.depth()).isEqualTo(3);
    assertThat(spool.droppedTotal()).isEqualTo(2);
    assertThat(seqs(spool.peekOldest(10))).containsExactly(3L, 4L, 5L);
    assertThat(Spool.open(dir, 3, 1 << 20).depth()).isEqualTo(3);
  }

  @Test
  void byteBoundDropsTheOldestAndCountsThem() {
    int size = body(1).length; // 9 bytes
    Spool spool = Spool.open(dir, 100, 2L * size + 1);
    for (long s = 1; s <= 4; s++) {
      spool.append(s, body(s));
    }
    assertThat(seqs(spool.peekOldest(10))).containsExactly(3L, 4L);
    assertThat(spool.bytes()).isEqualTo(2L * size);
    assertThat(spool.droppedTotal()).isEqualTo(2);
  }

  @Test
  void reportLargerThanTheWholeSpoolIsRefusedAndCounted() {
    Spool spool = Spool.open(dir, 100, 12);
    spool.append(1, body(1));
    assertThat(spool.append(2, "{\"seq\":2,\"pad\":\"xxxxxxxx\"}".getBytes())).isFalse();
    assertThat(seqs(spool.peekOldest(10))).containsExactly(1L);
    assertThat(spool.droppedTotal()).isEqualTo(1);
  }

  @Test
  void reopenIgnoresTempFilesCorruptEntriesAndForeignFiles() throws Exception {
    Spool spool = Spool.open(dir);
    spool.append(1, body(1));
    spool.append(4, body(4));
    Files.writeString(dir.resolve(Spool.fileName(2)), "garbage");
    Files.writeString(dir.resolve(Spool.fileName(3)), "");
    Files.writeString(dir.resolve(Spool.fileName(5) + ".tmp"), "{\"seq\":5");
    Files.writeString(dir.resolve("report-notanumber.json"), "{}");
    Files.writeString(dir.resolve(SequenceStore.FILE_NAME), "1000\n");

    Spool reopened = Spool.open(dir);
    assertThat(seqs(reopened.peekOldest(10))).containsExactly(1L, 4L);
    assertThat(reopened.corruptTotal()).isEqualTo(2);
    assertThat(dir.resolve(Spool.fileName(2))).doesNotExist();
    assertThat(dir.resolve(Spool.fileName(5) + ".tmp")).doesNotExist();
    assertThat(dir.resolve(SequenceStore.FILE_NAME)).exists();
    assertThat(dir.resolve("report-notanumber.json")).exists();
  }

  @Test
  void entryThatVanishesIsSkippedAndCounted() throws Exception {
    Spool spool = Spool.open(dir);
    spool.append(1, body(1));
    spool.append(2, body(2));
    Files.delete(dir.resolve(Spool.fileName(1)));
    assertThat(seqs(spool.peekOldest(10))).containsExactly(2L);
    assertThat(spool.depth()).isEqualTo(1);
    assertThat(spool.corruptTotal()).isEqualTo(1);
  }
}
