from qa.interfaces.cli import main

main()
