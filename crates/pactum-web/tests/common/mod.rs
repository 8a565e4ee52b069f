//! Inputs shared by the web app's tests and benches.

/// A one-issue plain table (CSV) of `n` actors: reads in linear time at any size, so
/// tests and benches get large scenarios quickly.
pub fn big_table(n: usize) -> String {
    let mut s = String::from("actor,capability,position_0_100,salience_0_1\n");
    for k in 0..n {
        let sal = 0.1 + ((k * 7) % 90) as f64 / 100.0;
        s.push_str(&format!(
            "a{k},{},{},{sal:.2}\n",
            1 + (k * 13) % 50,
            (k * 37) % 101
        ));
    }
    s
}
