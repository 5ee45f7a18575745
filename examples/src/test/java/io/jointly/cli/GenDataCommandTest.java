package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.psi.IdentifierProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenDataCommandTest {
  @TempDir Path dir;

  private static int run(String... args) {
    return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void genData_overlapRequested_partnerPhonesNormaliseToThatManyBankPhones() throws Exception {
    assertThat(run("gen-data", "--out", dir.toString(), "--customers", "2000", "--overlap", "0.3", "--seed", "7"))
        .isZero();
    CsvTable bank = CsvTable.read(dir.resolve("bank.csv"), (char) 0);
    CsvTable partner = CsvTable.read(dir.resolve("partner.csv"), (char) 0);
    assertThat(bank.header()).containsExactlyElementsOf(SyntheticCampaign.BANK_HEADER);
    assertThat(partner.header()).containsExactlyElementsOf(SyntheticCampaign.PARTNER_HEADER);
    assertThat(bank.rowCount()).isEqualTo(2000);
    Set<String> bankPhones = new HashSet<>();
    for (String m : bank.columnValues(bank.column("mobile"))) {
      bankPhones.add(IdentifierProfile.PHONE.normalize(m).orElseThrow());
    }
    int shared = 0;
    for (String m : partner.columnValues(partner.column("phone"))) {
      if (bankPhones.contains(IdentifierProfile.PHONE.normalize(m).orElseThrow())) {
        shared++;
      }
    }
    assertThat(shared).isEqualTo(600);
    long responders =
        bank.columnValues(bank.column("responded")).stream().filter("1"::equals).count();
    assertThat(responders).isBetween(20L, 200L); // about 3 %
  }

  @Test
  void genData_sameSeed_sameFiles() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    run("gen-data", "--out", a.toString(), "--customers", "300", "--seed", "3");
    run("gen-data", "--out", b.toString(), "--customers", "300", "--seed", "3");
    assertThat(Files.readString(a.resolve("bank.csv"))).isEqualTo(Files.readString(b.resolve("bank.csv")));
    assertThat(Files.readString(a.resolve("partner.csv")))
        .isEqualTo(Files.readString(b.resolve("partner.csv")));
  }

  @Test
  void genData_badOverlap_isUsageError() {
    assertThat(run("gen-data", "--out", dir.toString(), "--overlap", "1.5")).isEqualTo(2);
  }
}
