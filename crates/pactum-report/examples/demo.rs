//! Writes the illustrative report (every section, made-up numbers) to standard output:
//! `cargo run -p pactum-report --example demo > demo.html`.

fn main() {
    print!("{}", pactum_report::render(&pactum_report::demo::report()));
}
