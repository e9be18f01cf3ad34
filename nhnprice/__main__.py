from nhnprice.cli import main

main()
