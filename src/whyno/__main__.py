from whyno.cli import main

main()
