from idnews.cli import main

main()
